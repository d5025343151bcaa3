from dlref.cli import main

main()
