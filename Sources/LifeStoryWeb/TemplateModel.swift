import Foundation

/// Page models turned into dictionaries once, before rendering. The template engine finds a struct's values by
/// reflection on every lookup (and again on each step up the context stack); a dictionary answers at once.
/// Profiling the caseload showed the engine at 44% of the page's cost before this.
enum TemplateModel {
    static func convert(_ value: Any) -> Any? {
        switch value {
        case let s as String: return s
        case let b as Bool: return b
        case let i as Int: return i
        case let i as Int64: return i
        case let d as Double: return d
        case let d as [String: Any]:
            var out: [String: Any] = [:]
            for (k, v) in d { if let c = convert(v) { out[k] = c } }
            return out
        case let a as [Any]: return a.compactMap(convert)
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional?:
            // nil is "absent", as it is for the engine's own lookups.
            guard let wrapped = mirror.children.first?.value else { return nil }
            return convert(wrapped)
        case .struct?, .class?:
            var out: [String: Any] = [:]
            for child in mirror.children {
                guard let label = child.label, let c = convert(child.value) else { continue }
                out[label] = c
            }
            return out
        case .collection?:
            return mirror.children.compactMap { convert($0.value) }
        case .tuple?:
            var out: [String: Any] = [:]
            for (i, child) in mirror.children.enumerated() {
                if let c = convert(child.value) { out[child.label.map { $0.hasPrefix(".") ? String(i) : $0 } ?? String(i)] = c }
            }
            return out
        default:
            return value
        }
    }
}
