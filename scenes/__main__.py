from scenes.pipeline.cli import main

main()
