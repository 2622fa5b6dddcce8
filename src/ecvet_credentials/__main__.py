from ecvet_credentials.cli.main import main

main()
