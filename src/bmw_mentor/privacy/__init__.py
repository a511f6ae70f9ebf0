"""`mentor forget`: removing a person from every file mentor wrote."""
