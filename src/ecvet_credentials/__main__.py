from ecvet_credentials.cli import main

main()
