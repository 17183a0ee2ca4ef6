import LifeStoryCLI

await LifestoryCommand.start()
