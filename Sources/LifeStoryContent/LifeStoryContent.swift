import LifeStoryCore

/// Loads and checks the guidance library in Content/ (issue: the guidance library).
public enum LifeStoryContent {}
