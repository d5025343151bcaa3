"""Question templates, one module per concept family; each registers with `@template`."""
