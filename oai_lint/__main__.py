from oai_lint.entry import main

main()
