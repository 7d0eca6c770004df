import GRDB

/// Applies the SQL in /schema, in order. Shipped migrations are never edited; new ones are appended.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("event_log_v1") { db in
            try db.execute(sql: String(decoding: PackageResources.event_log_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v1") { db in
            try db.execute(sql: String(decoding: PackageResources.projections_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v2") { db in
            // No rebuild here: the projections of this build need v3's columns too, and v3 always
            // follows in the same `migrate` and rebuilds. Only the newest migration may rebuild.
            try db.execute(sql: String(decoding: PackageResources.projections_v2_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v3") { db in
            // No rebuild here either: v4 follows and rebuilds (only the newest migration may).
            try db.execute(sql: String(decoding: PackageResources.projections_v3_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v4") { db in
            // No rebuild here: v5 follows and rebuilds (only the newest migration may).
            try db.execute(sql: String(decoding: PackageResources.projections_v4_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v5") { db in
            // No rebuild here: v6 follows and rebuilds (only the newest migration may).
            try db.execute(sql: String(decoding: PackageResources.projections_v5_sql, as: UTF8.self))
        }
        migrator.registerMigration("checkpoints_v1") { db in
            // Not a projection: nothing to rebuild.
            try db.execute(sql: String(decoding: PackageResources.checkpoints_v1_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v6") { db in
            // Practitioner login's tables; and the audit records name a spend's and a gateway
            // decision's grant as the authorisation protocol now: every record is mapped afresh.
            // No rebuild here: v7 follows and rebuilds (only the newest migration may).
            try db.execute(sql: String(decoding: PackageResources.projections_v6_sql, as: UTF8.self))
        }
        migrator.registerMigration("projections_v7") { db in
            // Open Bank Project's entitlements, views and account access (issue 14).
            try db.execute(sql: String(decoding: PackageResources.projections_v7_sql, as: UTF8.self))
            try rebuildProjections(db)
        }
        return migrator
    }

    /// New projection columns and tables start out empty; the log already holds what belongs in
    /// them, so a migration that adds projections refills every one from the log.
    static func rebuildProjections(_ db: Database) throws {
        let projections = Projections.standard
        try projections.reset(db)
        if let chainBreak = try ChainWalk.walk(db, { event in try projections.apply(event, db) }) {
            throw ReplayError(description: "cannot migrate: the event log is broken at \(chainBreak)")
        }
    }
}
