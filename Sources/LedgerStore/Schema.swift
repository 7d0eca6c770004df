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
        return migrator
    }
}
