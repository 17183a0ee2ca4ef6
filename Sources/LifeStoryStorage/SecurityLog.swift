import Crypto
import Foundation
import GRDB
import LifeStoryCore

public struct SecurityLog: Sendable {
    public let database: AppDatabase
    public init(_ database: AppDatabase) { self.database = database }

    public func record(_ action: String, user: UserRecord?, address: String?, what: String, detail: String = "", at: String) throws {
        let actor = Actor(id: user?.id ?? "anonymous", role: user?.role ?? "anonymous")
        var parts = ["from " + (address ?? "an unknown address")]
        if !detail.isEmpty { parts.append(detail) }
        try database.writer.write { db in
            try AuditLog.append(db, at: at, actor: actor, action: action, entity: "security", entityId: user?.id ?? "",
                                childId: nil, purpose: what, detail: parts.joined(separator: "; "))
        }
    }
}

/// One-time links that let an adopter or foster carer set their password.
