/// Ids in a plan (the plan's, the child's, each person's, order's, ...) become parts of addresses and file names:
/// `plan export` writes `<plan id>.json`, the web app serves `/plans/<plan id>`. So an id is only ever ASCII letters,
/// digits, `-`, `_` and `.`, starts with a letter or digit, and is at most 64 characters: never `..`, a slash, a
/// space or a control character.
public enum Identifier {
    public static let maxLength = 64

    /// Why `id` is not a safe id, in words; nil when it is one.
    public static func problem(_ id: String) -> String? {
        if id.isEmpty { return "is empty: an id needs at least one character" }
        if id.count > maxLength { return "is \(id.count) characters long; an id is at most \(maxLength)" }
        guard let first = id.unicodeScalars.first, isAlphanumeric(first) else {
            return "'\(printable(id))' must start with a letter or a digit"
        }
        if let bad = id.unicodeScalars.first(where: { !(isAlphanumeric($0) || $0 == "-" || $0 == "_" || $0 == ".") }) {
            return "'\(printable(id))' contains '\(printable(String(bad)))': an id uses only letters a-z, digits, '-', '_' and '.'"
        }
        if id.contains("..") { return "'\(id)' contains '..'" }
        return nil
    }

    public static func isSafe(_ id: String) -> Bool { problem(id) == nil }

    static func isAlphanumeric(_ u: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(u) || ("A"..."Z").contains(u) || ("0"..."9").contains(u)
    }

    /// An id as it can be shown in a message: control characters made visible.
    static func printable(_ s: String) -> String {
        String(s.prefix(80).unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
    }
}
