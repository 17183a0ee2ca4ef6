import Foundation
import GRDB
import LifeStoryCore

/// The SQLite database: opened, migrated, and handed to the repositories. As in GRDB's demo app, one struct owns
/// the connection and the migrations; only repositories write SQL.
public struct AppDatabase: Sendable {
    public let writer: any DatabaseWriter
    /// The server's own connection for WAL checkpoints (see `openForServer`); nil elsewhere.
    let checkpointer: DatabaseQueue?

    /// Wraps a connection and brings its schema up to date.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        checkpointer = nil
        try Self.migrator.migrate(writer)
    }

    init(_ writer: any DatabaseWriter, checkpointer: DatabaseQueue?) throws {
        self.writer = writer
        self.checkpointer = checkpointer
        try Self.migrator.migrate(writer)
    }

    static func configuration(autoCheckpoint: Bool = true) -> Configuration {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            // Adoption records: a commit that returned has reached the disk.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if !autoCheckpoint { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        }
        return config
    }

    /// The web server's database. SQLite normally copies the WAL back into the database inside whichever commit
    /// crosses 1,000 pages, and every request waiting on that commit waits for the copy too. Here commits never
    /// checkpoint; `checkpoint()` does it from a connection of its own (the server calls it every second), in
    /// PASSIVE mode, which never blocks a writer or a reader.
    public static func openForServer(path: String) throws -> AppDatabase {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path, configuration: configuration(autoCheckpoint: false))
        return try AppDatabase(pool, checkpointer: DatabaseQueue(path: path, configuration: configuration(autoCheckpoint: false)))
    }

    /// Copies committed WAL pages into the database without blocking anyone. When the WAL has grown past about
    /// 200 MB (readers kept it from being reused), a RESTART checkpoint waits for them once to start it over.
    public func checkpoint() throws {
        guard let checkpointer else { return }
        try checkpointer.writeWithoutTransaction { db in
            let (walFrames, _) = try db.checkpoint(.passive)
            if walFrames > 50_000 { try db.checkpoint(.restart) }
        }
    }

    /// The server's database: a WAL-mode pool at `path`, created if need be.
    public static func open(path: String) throws -> AppDatabase {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return try AppDatabase(DatabasePool(path: path, configuration: configuration()))
    }

    /// A private database in memory, for tests.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue(configuration: configuration()))
    }

    /// One named migration per schema change, never edited once shipped.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: agencies, people, plans, versions, guides, journal, audit") { db in
            try db.execute(sql: Schema.v1)
        }
        m.registerMigration("v2: sessions, invitations, sign-in attempts, panel meetings and outcomes, plan actions") { db in
            try db.execute(sql: Schema.v2)
        }
        m.registerMigration("v3: sections of a plan the social worker has marked completed") { db in
            try db.execute(sql: """
                CREATE TABLE sectionProgress (
                    plan TEXT NOT NULL REFERENCES plan(id),
                    section TEXT NOT NULL,
                    completedAt TEXT NOT NULL,
                    completedBy TEXT NOT NULL,
                    PRIMARY KEY (plan, section)
                );
                """)
        }
        m.registerMigration("v4: the agency's duty lines, entered once and offered on every new plan") { db in
            try db.execute(sql: """
                CREATE TABLE agencyDutyLine (
                    agencyId TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('day', 'out-of-hours')),
                    name TEXT NOT NULL,
                    phone TEXT NOT NULL,
                    updatedAt TEXT NOT NULL,
                    updatedBy TEXT NOT NULL,
                    PRIMARY KEY (agencyId, kind)
                );
                """)
        }
        m.registerMigration("v5: accounts an agency runs: disabled accounts, two-factor sign-in, single sign-on, agency settings") { db in
            try db.execute(sql: Schema.v5)
        }
        m.registerMigration("v6: the staff side: footprint checks completed, staff targeted online, supervision notes") { db in
            try db.execute(sql: StaffStore.v6)
        }
        m.registerMigration("v7: the caseload kept with each plan (next review, earliest date due, name) and paged on an index") { db in
            try db.execute(sql: PlanStore.v7)
        }
        return m
    }

    /// `PRAGMA integrity_check`: "ok" or what is wrong.
    public func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }
}

enum Schema {
    static let v5 = """
    ALTER TABLE user ADD COLUMN disabledAt TEXT;
    ALTER TABLE user ADD COLUMN oidcSubject TEXT;
    ALTER TABLE user ADD COLUMN totpSecret TEXT;
    ALTER TABLE user ADD COLUMN totpConfirmedAt TEXT;
    ALTER TABLE user ADD COLUMN totpLastStep INTEGER;
    CREATE UNIQUE INDEX user_oidcSubject ON user(oidcSubject) WHERE oidcSubject IS NOT NULL;
    CREATE TABLE recoveryCode (
        userId TEXT NOT NULL REFERENCES user(id),
        codeHash TEXT NOT NULL,
        usedAt TEXT,
        PRIMARY KEY (userId, codeHash)
    );
    CREATE TABLE signInChallenge (
        tokenHash TEXT PRIMARY KEY NOT NULL,
        userId TEXT NOT NULL REFERENCES user(id),
        kind TEXT NOT NULL CHECK (kind IN ('code', 'enrol')),
        how TEXT NOT NULL,
        createdAt REAL NOT NULL
    );
    CREATE TABLE oidcLogin (
        stateHash TEXT PRIMARY KEY NOT NULL,
        nonce TEXT NOT NULL,
        verifier TEXT NOT NULL,
        createdAt REAL NOT NULL,
        usedAt REAL
    );
    CREATE TABLE agencySetting (
        agencyId TEXT NOT NULL REFERENCES agency(id),
        key TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (agencyId, key)
    );
    """

    /// Each plan lives in its tables: one row per entity, with the columns lists and checks query, and the entity
    /// itself as canonical JSON in `data`, so nothing a user saved is lost in translation. `position` keeps the
    /// order the user gave.
    static let v1 = """
    CREATE TABLE agency (
        id TEXT PRIMARY KEY NOT NULL,
        name TEXT NOT NULL
    );
    CREATE TABLE team (
        id TEXT PRIMARY KEY NOT NULL,
        agencyId TEXT NOT NULL REFERENCES agency(id),
        name TEXT NOT NULL
    );
    CREATE TABLE user (
        id TEXT PRIMARY KEY NOT NULL,
        agencyId TEXT NOT NULL REFERENCES agency(id),
        teamId TEXT REFERENCES team(id),
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        displayName TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin','social_worker','team_manager','panel_member','panel_chair','decision_maker','adopter','foster_carer','practice_lead')),
        passwordHash TEXT,
        createdAt TEXT NOT NULL
    );
    CREATE TABLE child (
        id TEXT PRIMARY KEY NOT NULL,
        agencyId TEXT NOT NULL REFERENCES agency(id),
        pseudonym TEXT NOT NULL,
        jurisdiction TEXT NOT NULL,
        dateOfBirth TEXT NOT NULL,
        legalStatus TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE TABLE assignment (
        userId TEXT NOT NULL REFERENCES user(id),
        childId TEXT NOT NULL REFERENCES child(id),
        relationship TEXT NOT NULL,
        PRIMARY KEY (userId, childId)
    );
    CREATE INDEX assignment_child ON assignment(childId);
    CREATE TABLE plan (
        id TEXT PRIMARY KEY NOT NULL,
        childId TEXT NOT NULL UNIQUE REFERENCES child(id),
        agencyId TEXT NOT NULL REFERENCES agency(id),
        status TEXT NOT NULL,
        revision INTEGER NOT NULL,
        dayOne TEXT,
        updatedAt TEXT NOT NULL,
        updatedBy TEXT NOT NULL,
        meta TEXT NOT NULL
    );
    CREATE INDEX plan_agency ON plan(agencyId);
    CREATE TABLE person (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, role TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (plan, id));
    CREATE TABLE placement (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, kind TEXT NOT NULL, startDate TEXT NOT NULL, endDate TEXT, data TEXT NOT NULL, PRIMARY KEY (plan, id));
    CREATE TABLE legalOrder (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, type TEXT NOT NULL, jurisdiction TEXT NOT NULL, madeOn TEXT NOT NULL, expiresOn TEXT,
        inForce INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (plan, id));
    CREATE TABLE arrangement (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, counterpart TEXT NOT NULL, mode TEXT NOT NULL, status TEXT NOT NULL, start TEXT NOT NULL,
        data TEXT NOT NULL, PRIMARY KEY (plan, id));
    CREATE TABLE stage (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        code TEXT NOT NULL, status TEXT NOT NULL, lastReviewedOn TEXT, reviewBy TEXT, PRIMARY KEY (plan, code));
    CREATE TABLE stageItem (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, stage TEXT NOT NULL, status TEXT NOT NULL CHECK (status IN ('planned','done','skipped')),
        targetDate TEXT, doneOn TEXT, notes TEXT, skippedReason TEXT, data TEXT NOT NULL, PRIMARY KEY (plan, id));
    CREATE TABLE contingency (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, scenario TEXT NOT NULL, applicable INTEGER NOT NULL, severity TEXT NOT NULL,
        data TEXT NOT NULL, PRIMARY KEY (plan, id));
    CREATE TABLE riskAssessment (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, assessedOn TEXT NOT NULL, level TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (plan, id));
    CREATE TABLE review (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, kind TEXT NOT NULL, dueOn TEXT NOT NULL, heldOn TEXT, data TEXT NOT NULL, PRIMARY KEY (plan, id));
    CREATE TABLE signOff (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        role TEXT NOT NULL, name TEXT NOT NULL, signedOn TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (plan, position));
    CREATE TABLE incident (plan TEXT NOT NULL REFERENCES plan(id) ON DELETE CASCADE, position INTEGER NOT NULL,
        id TEXT NOT NULL, occurredOn TEXT NOT NULL, scenario TEXT NOT NULL, severity TEXT NOT NULL,
        data TEXT NOT NULL, PRIMARY KEY (plan, id));

    -- Frozen versions: written once, never changed.
    CREATE TABLE planVersion (
        plan TEXT NOT NULL REFERENCES plan(id),
        number INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('submitted','approved','published','imported')),
        frozenAt TEXT NOT NULL,
        frozenBy TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        archive TEXT NOT NULL,
        PRIMARY KEY (plan, number)
    );
    CREATE TRIGGER planVersion_immutable_update BEFORE UPDATE ON planVersion
        BEGIN SELECT RAISE(ABORT, 'plan versions are immutable'); END;
    CREATE TRIGGER planVersion_immutable_delete BEFORE DELETE ON planVersion
        BEGIN SELECT RAISE(ABORT, 'plan versions are immutable'); END;

    CREATE TABLE issuedGuide (
        id TEXT PRIMARY KEY NOT NULL,
        plan TEXT NOT NULL REFERENCES plan(id),
        planRevision INTEGER NOT NULL,
        audience TEXT NOT NULL,
        contentEdition TEXT NOT NULL,
        format TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        issuedAt TEXT NOT NULL,
        issuedBy TEXT NOT NULL
    );
    CREATE TABLE journalEntry (
        id TEXT PRIMARY KEY NOT NULL,
        plan TEXT NOT NULL REFERENCES plan(id),
        authorId TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('conversation','question','note')),
        happenedOn TEXT NOT NULL,
        text TEXT NOT NULL,
        createdAt TEXT NOT NULL
    );

    -- Append-only and tamper-evident: each entry carries the hash of the one before.
    CREATE TABLE auditLog (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        role TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entityId TEXT NOT NULL,
        childId TEXT,
        purpose TEXT NOT NULL,
        detail TEXT NOT NULL,
        prevHash TEXT NOT NULL,
        hash TEXT NOT NULL
    );
    CREATE INDEX auditLog_entity ON auditLog(entity, entityId, seq);
    CREATE TRIGGER auditLog_append_only_update BEFORE UPDATE ON auditLog
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER auditLog_append_only_delete BEFORE DELETE ON auditLog
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """

    /// The web app: sessions and invitations store only a SHA-256 of their token, so a copy of the database cannot be
    /// used to sign in. Times are Unix seconds. Panel outcomes and actions are append-only records of who decided
    /// what, when and why.
    static let v2 = """
    CREATE TABLE session (
        tokenHash TEXT PRIMARY KEY NOT NULL,
        userId TEXT NOT NULL REFERENCES user(id),
        csrf TEXT NOT NULL,
        createdAt REAL NOT NULL,
        lastSeenAt REAL NOT NULL
    );
    CREATE INDEX session_user ON session(userId);
    CREATE TABLE invitation (
        tokenHash TEXT PRIMARY KEY NOT NULL,
        userId TEXT NOT NULL REFERENCES user(id),
        createdBy TEXT NOT NULL,
        createdAt REAL NOT NULL,
        expiresAt REAL NOT NULL,
        usedAt REAL
    );
    CREATE TABLE loginAttempt (
        key TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX loginAttempt_key ON loginAttempt(key, at);
    CREATE TABLE panelMeeting (
        id TEXT PRIMARY KEY NOT NULL,
        agencyId TEXT NOT NULL REFERENCES agency(id),
        meetsOn TEXT NOT NULL,
        accessFrom TEXT NOT NULL,
        accessUntil TEXT NOT NULL,
        createdBy TEXT NOT NULL,
        createdAt TEXT NOT NULL
    );
    CREATE TABLE agendaItem (
        meetingId TEXT NOT NULL REFERENCES panelMeeting(id),
        planId TEXT NOT NULL REFERENCES plan(id),
        versionNumber INTEGER NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (meetingId, planId)
    );
    CREATE TABLE panelOutcome (
        id TEXT PRIMARY KEY NOT NULL,
        planId TEXT NOT NULL REFERENCES plan(id),
        meetingId TEXT REFERENCES panelMeeting(id),
        versionNumber INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('recommendation','decision')),
        outcome TEXT NOT NULL CHECK (outcome IN ('approve','return')),
        reasons TEXT NOT NULL,
        byUser TEXT NOT NULL,
        byName TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TRIGGER panelOutcome_immutable_update BEFORE UPDATE ON panelOutcome
        BEGIN SELECT RAISE(ABORT, 'panel outcomes are a record: they are never changed'); END;
    CREATE TRIGGER panelOutcome_immutable_delete BEFORE DELETE ON panelOutcome
        BEGIN SELECT RAISE(ABORT, 'panel outcomes are a record: they are never changed'); END;
    CREATE TABLE planAction (
        id TEXT PRIMARY KEY NOT NULL,
        planId TEXT NOT NULL REFERENCES plan(id),
        outcomeId TEXT REFERENCES panelOutcome(id),
        text TEXT NOT NULL,
        raisedBy TEXT NOT NULL,
        raisedAt TEXT NOT NULL,
        doneAt TEXT,
        doneBy TEXT
    );
    CREATE INDEX planAction_plan ON planAction(planId);
    CREATE INDEX journalEntry_plan ON journalEntry(plan, createdAt);
    """
}
