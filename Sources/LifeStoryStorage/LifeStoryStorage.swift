import LifeStoryCore

/// The SQLite store (GRDB) arrives with the records issue. Until then plans are read from archive files.
public enum LifeStoryStorage {}
