import LifeStoryContent
import LifeStoryCore

/// Builds and renders guides (the printable-guides issue).
public enum LifeStoryGuides {}
