import LifeStoryContent
import LifeStoryCore
import LifeStoryGuides
import LifeStoryStorage

/// The Hummingbird web app (the web-app issues).
public enum LifeStoryWeb {}
