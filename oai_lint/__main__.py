from oai_lint.cli import main

main()
