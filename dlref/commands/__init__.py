"""The subcommands of `dlref`, one module per family, imported only when used."""
