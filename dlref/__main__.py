from dlref.launch import entry

entry()
