import Foundation
import GRDB

/// Backups: SQLite's online backup, then an integrity check of the copy. Restores never overwrite by surprise.
public enum Backup {
    /// Copies the live database to `path` (which must not exist) and checks the copy.
    public static func backup(_ database: AppDatabase, to path: String) throws -> (plans: Int, auditEntries: Int) {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw StorageError.backup("\(path) already exists. Choose a new file for the backup; nothing was written.")
        }
        do {
            let copy = try DatabaseQueue(path: path)
            try database.writer.backup(to: copy)
            // A backup is one self-contained file: no WAL beside it.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let check = try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
            guard check == "ok" else {
                throw StorageError.backup("The backup at \(path) failed its integrity check (\(check)). Do not rely on it.")
            }
            let counts = try copy.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plan") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM auditLog") ?? 0)
            }
            try copy.close()
            return counts
        } catch let error as StorageError {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw StorageError.backup("The backup to \(path) failed: \(error). Nothing was kept.")
        }
    }

    /// Restores a backup to `path`. Refuses to replace an existing database unless `force`; checks the backup
    /// before touching anything; moves the replaced database aside (never deletes it) and puts the restored one in
    /// place with one rename.
    public static func restore(from backup: String, to path: String, force: Bool) throws -> (plans: Int, auditEntries: Int, keptAside: String?) {
        var keptAside: String?  // where the replaced database was moved, if there was one
        guard FileManager.default.fileExists(atPath: backup) else { throw StorageError.backup("There is no backup at \(backup).") }
        if FileManager.default.fileExists(atPath: path) && !force {
            throw StorageError.backup("\(path) already exists. Restoring would replace it: add --force if that is what you want. Nothing was changed.")
        }
        var config = Configuration()
        config.readonly = true
        let source = try DatabaseQueue(path: backup, configuration: config)
        let check = try source.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
        guard check == "ok" else { throw StorageError.backup("The backup \(backup) fails its integrity check (\(check)); nothing was restored.") }
        let staging = path + ".restoring"
        try? FileManager.default.removeItem(atPath: staging)
        let target = try DatabaseQueue(path: staging)
        try source.backup(to: target)
        try target.close()
        // Nothing is deleted: the database being replaced, with its WAL, is moved aside first.
        if FileManager.default.fileExists(atPath: path) {
            let aside = path + ".before-restore-" + String(Int(Date().timeIntervalSince1970))
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                guard rename(path + suffix, aside + suffix) == 0 else {
                    throw StorageError.backup("Could not move \(path + suffix) aside (error \(errno)); the database is unchanged.")
                }
            }
            keptAside = aside
        }
        guard rename(staging, path) == 0 else {
            throw StorageError.backup("Could not put the restored database in place (error \(errno)). The previous database is at \(keptAside ?? path).")
        }
        let restored = try AppDatabase.open(path: path)
        let counts = try restored.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plan") ?? 0, try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM auditLog") ?? 0)
        }
        return (counts.0, counts.1, keptAside)
    }
}
