// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

// Arrows point one way (DESIGN.md): Core <- Content, Storage, Guides <- Web <- CLI <- lifestory.
let package = Package(
    name: "Lifestory",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lifestory", targets: ["lifestory"]),
        .library(name: "LifeStoryCore", targets: ["LifeStoryCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
    ],
    targets: [
        .target(
            name: "LifeStoryCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources/law.json"), .copy("Resources/acts.json")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LifeStoryContent",
            dependencies: [
                "LifeStoryCore",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Ink", package: "Ink"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The guidance library ships with the binary (Resources/Content links to the project's Content/), so a
            // server started from any folder finds it; LIFESTORY_CONTENT points at the practice lead's own copy.
            resources: [.copy("Resources/Content")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LifeStoryStorage",
            dependencies: [
                "LifeStoryCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/demo")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LifeStoryGuides",
            dependencies: [
                "LifeStoryCore", "LifeStoryContent",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Resources/guide.mustache"), .copy("Resources/guide.css")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LifeStoryWeb",
            dependencies: [
                "LifeStoryCore", "LifeStoryContent", "LifeStoryStorage", "LifeStoryGuides",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.copy("Resources/templates"), .copy("Resources/static"), .copy("Resources/common-passwords.txt")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LifeStoryCLI",
            dependencies: [
                "LifeStoryCore", "LifeStoryContent", "LifeStoryStorage", "LifeStoryGuides", "LifeStoryWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(name: "lifestory", dependencies: ["LifeStoryCLI"], swiftSettings: swiftSettings),

        .target(
            name: "LifeStoryTestSupport",
            dependencies: ["LifeStoryCore"],
            path: "Tests/LifeStoryTestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LifeStoryCoreTests",
            dependencies: [
                "LifeStoryCore", "LifeStoryTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LifeStoryContentTests",
            dependencies: ["LifeStoryContent", "LifeStoryCore", "LifeStoryTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LifeStoryGuidesTests",
            dependencies: [
                "LifeStoryGuides", "LifeStoryContent", "LifeStoryCore", "LifeStoryTestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LifeStoryStorageTests",
            dependencies: ["LifeStoryStorage", "LifeStoryCore", "LifeStoryTestSupport"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "lifestory-bench",
            dependencies: ["LifeStoryStorage", "LifeStoryCore", "LifeStoryContent", "LifeStoryGuides"],
            path: "Benchmarks/lifestory-bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LifeStoryWebTests",
            dependencies: [
                "LifeStoryWeb", "LifeStoryStorage", "LifeStoryCore", "LifeStoryContent", "LifeStoryTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdOTP", package: "hummingbird-auth"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LifeStoryCLITests",
            dependencies: ["LifeStoryCLI", "LifeStoryCore", "LifeStoryStorage", "LifeStoryTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
