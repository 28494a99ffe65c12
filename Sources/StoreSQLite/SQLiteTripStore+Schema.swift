import GRDB
import TripCore

extension SQLiteTripStore {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("createUsersTripsTokens") { db in
            try db.create(table: "user") { t in
                t.primaryKey("id", .text).check { length($0) == 24 }
                t.column("username", .text).notNull().unique()
                t.column("passwordHash", .text).notNull()
                t.column("createdAt", .integer).notNull()
            }
            try db.create(table: "trip") { t in
                t.primaryKey("id", .text).check { length($0) == 24 }
                t.belongsTo("owner", inTable: "user", onDelete: .cascade).notNull()
                t.column("name", .text).notNull()
                t.column("waypoints", .jsonText).notNull().check(sql: "json_valid(waypoints)")
                t.column("createdAt", .integer).notNull()
                t.column("updatedAt", .integer).notNull()
                t.column("version", .integer).notNull().check { $0 >= 1 }
            }
            try db.create(index: "trip_on_owner_id", on: "trip", columns: ["ownerId", "id"], options: .unique)
            try db.create(table: "token") { t in
                t.primaryKey("digest", .text)
                t.belongsTo("owner", inTable: "user", onDelete: .cascade).notNull()
                t.column("expiresAt", .integer).notNull()
            }
        }
        migrator.registerMigration("caseInsensitiveUsernames") { db in
            let clashes = try String.fetchAll(db, sql: """
                SELECT group_concat(username, ', ') FROM user GROUP BY username COLLATE NOCASE HAVING count(*) > 1
                """)
            guard clashes.isEmpty else {
                throw SetupRefusal(
                    "usernames must be unique without regard to ASCII case, but these differ only in case: "
                        + clashes.joined(separator: "; ") + ". Rename all but one of each, then start again.")
            }
            try db.execute(sql: "CREATE UNIQUE INDEX user_on_username_nocase ON user(username COLLATE NOCASE)")
        }
        migrator.registerMigration("attempts") { db in
            try db.create(table: "attempt") { t in
                t.primaryKey("key", .text)
                t.column("count", .integer).notNull().check { $0 >= 1 }
                t.column("windowEnds", .integer).notNull()
            }
            try db.create(index: "attempt_on_windowEnds", on: "attempt", columns: ["windowEnds"])
        }
        // Each owner's trip count, kept by triggers atomically with every insert and delete, for the quota check.
        migrator.registerMigration("tripCounts") { db in
            try db.alter(table: "user") { t in t.add(column: "tripCount", .integer).notNull().defaults(to: 0) }
            try db.execute(sql: """
                UPDATE user SET tripCount = (SELECT count(*) FROM trip WHERE trip.ownerId = user.id);
                CREATE TRIGGER trip_counted AFTER INSERT ON trip BEGIN
                    UPDATE user SET tripCount = tripCount + 1 WHERE id = NEW.ownerId;
                END;
                CREATE TRIGGER trip_uncounted AFTER DELETE ON trip BEGIN
                    UPDATE user SET tripCount = tripCount - 1 WHERE id = OLD.ownerId;
                END;
                """)
        }
        migrator.registerMigration("changeFeed") { db in
            try db.execute(sql: """
                CREATE TABLE changeFeed(
                    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                    id INTEGER NOT NULL,
                    purgedThrough INTEGER NOT NULL DEFAULT 0
                );
                INSERT INTO changeFeed(singleton, id) VALUES (1, random());
                CREATE TABLE tripChange(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    tripId TEXT NOT NULL UNIQUE,
                    ownerId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    deletedAt INTEGER
                );
                CREATE INDEX tripChange_on_ownerId_seq ON tripChange(ownerId, seq);
                CREATE INDEX tripChange_on_deletedAt ON tripChange(deletedAt) WHERE deletedAt IS NOT NULL;
                INSERT INTO tripChange(tripId, ownerId) SELECT id, ownerId FROM trip ORDER BY updatedAt, id;
                CREATE TRIGGER trip_created AFTER INSERT ON trip BEGIN
                    INSERT OR REPLACE INTO tripChange(tripId, ownerId) VALUES (NEW.id, NEW.ownerId);
                END;
                CREATE TRIGGER trip_replaced AFTER UPDATE ON trip BEGIN
                    INSERT OR REPLACE INTO tripChange(tripId, ownerId) VALUES (NEW.id, NEW.ownerId);
                END;
                CREATE TRIGGER trip_deleted AFTER DELETE ON trip WHEN EXISTS (SELECT 1 FROM user WHERE id = OLD.ownerId) BEGIN
                    INSERT OR REPLACE INTO tripChange(tripId, ownerId, deletedAt)
                    VALUES (OLD.id, OLD.ownerId, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
                END;
                """)
        }
        migrator.registerMigration("shares") { db in
            try db.execute(sql: """
                CREATE TABLE share(
                    id TEXT PRIMARY KEY CHECK (length(id) = 24),
                    tripId TEXT NOT NULL REFERENCES trip(id) ON DELETE CASCADE,
                    ownerId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    tokenDigest TEXT NOT NULL UNIQUE,
                    createdAt INTEGER NOT NULL,
                    expiresAt INTEGER
                );
                CREATE INDEX share_on_tripId ON share(tripId);
                """)
        }
        migrator.registerMigration("changePositionsPerAccount") { db in
            // Each account counts its own changes, so a cursor says nothing of what other accounts write or purge. The
            // feed gets a new id: cursors from before count changes of every account and are answered 410.
            try db.execute(sql: """
                ALTER TABLE user ADD COLUMN changeSeq INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE user ADD COLUMN purgedThrough INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE tripChange ADD COLUMN position INTEGER;
                UPDATE tripChange SET position = ranked.position FROM (
                    SELECT seq, row_number() OVER (PARTITION BY ownerId ORDER BY seq) AS position FROM tripChange
                ) AS ranked WHERE tripChange.seq = ranked.seq;
                UPDATE user SET changeSeq = coalesce((SELECT max(position) FROM tripChange WHERE ownerId = user.id), 0);
                DROP INDEX tripChange_on_ownerId_seq;
                CREATE UNIQUE INDEX tripChange_on_ownerId_position ON tripChange(ownerId, position);
                CREATE TRIGGER tripChange_positioned AFTER INSERT ON tripChange BEGIN
                    UPDATE user SET changeSeq = changeSeq + 1 WHERE id = NEW.ownerId;
                    UPDATE tripChange SET position = (SELECT changeSeq FROM user WHERE id = NEW.ownerId) WHERE seq = NEW.seq;
                END;
                ALTER TABLE changeFeed DROP COLUMN purgedThrough;
                UPDATE changeFeed SET id = random();
                """)
        }
        migrator.registerMigration("tombstonesStampedByTheApp") { db in
            // `deleteTrip` writes the tombstone with the app's clock, which the purge compares against; the trigger
            // stamped it with the database's.
            try db.execute(sql: "DROP TRIGGER trip_deleted")
        }
        migrator.registerMigration("accountAdministration") { db in
            try db.execute(sql: """
                ALTER TABLE user ADD COLUMN disabledAt INTEGER;
                ALTER TABLE user ADD COLUMN disabledReason TEXT CHECK ((disabledAt IS NULL) = (disabledReason IS NULL));
                CREATE TABLE audit(
                    id TEXT PRIMARY KEY CHECK (length(id) = 24),
                    at INTEGER NOT NULL,
                    command TEXT NOT NULL,
                    account TEXT NOT NULL,
                    operator TEXT NOT NULL,
                    host TEXT NOT NULL,
                    reason TEXT
                );
                CREATE INDEX audit_on_at ON audit(at, id);
                """)
        }
        migrator.registerMigration("tripMembers") { db in
            // Each reader of a trip, its owner or a member, has a row of their own in `tripChange`: the feed is each
            // reader's. `ownerId` names the trip's owner, so that an owner's tombstone of a deleted trip is told from a
            // member's lost access. Joining and a new role feed the member by trigger; a tombstone takes the app's clock,
            // so `deleteTrip`, `removeMember` and `deleteUser` write them.
            try db.execute(sql: """
                CREATE TABLE member(
                    tripId TEXT NOT NULL REFERENCES trip(id) ON DELETE CASCADE,
                    userId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),
                    joinedAt INTEGER NOT NULL,
                    PRIMARY KEY (tripId, userId)
                ) WITHOUT ROWID;
                CREATE INDEX member_on_userId ON member(userId, tripId);
                CREATE TABLE invitation(
                    id TEXT PRIMARY KEY CHECK (length(id) = 24),
                    tripId TEXT NOT NULL REFERENCES trip(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('editor', 'viewer')),
                    tokenDigest TEXT NOT NULL UNIQUE,
                    createdAt INTEGER NOT NULL,
                    expiresAt INTEGER NOT NULL
                );
                CREATE INDEX invitation_on_tripId ON invitation(tripId, expiresAt);
                DROP TRIGGER trip_created;
                DROP TRIGGER trip_replaced;
                DROP TRIGGER tripChange_positioned;
                CREATE TABLE readerChange(
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    tripId TEXT NOT NULL,
                    readerId TEXT NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    ownerId TEXT NOT NULL,
                    deletedAt INTEGER,
                    position INTEGER,
                    UNIQUE (tripId, readerId)
                );
                INSERT INTO readerChange(seq, tripId, readerId, ownerId, deletedAt, position)
                    SELECT seq, tripId, ownerId, ownerId, deletedAt, position FROM tripChange;
                DROP TABLE tripChange;
                ALTER TABLE readerChange RENAME TO tripChange;
                CREATE UNIQUE INDEX tripChange_on_readerId_position ON tripChange(readerId, position);
                CREATE INDEX tripChange_on_deletedAt ON tripChange(deletedAt) WHERE deletedAt IS NOT NULL;
                CREATE TRIGGER tripChange_positioned AFTER INSERT ON tripChange BEGIN
                    UPDATE user SET changeSeq = changeSeq + 1 WHERE id = NEW.readerId;
                    UPDATE tripChange SET position = (SELECT changeSeq FROM user WHERE id = NEW.readerId) WHERE seq = NEW.seq;
                END;
                CREATE TRIGGER trip_created AFTER INSERT ON trip BEGIN
                    INSERT OR REPLACE INTO tripChange(tripId, readerId, ownerId) VALUES (NEW.id, NEW.ownerId, NEW.ownerId);
                END;
                CREATE TRIGGER trip_replaced AFTER UPDATE ON trip BEGIN
                    INSERT OR REPLACE INTO tripChange(tripId, readerId, ownerId) VALUES (NEW.id, NEW.ownerId, NEW.ownerId);
                    INSERT OR REPLACE INTO tripChange(tripId, readerId, ownerId)
                        SELECT NEW.id, userId, NEW.ownerId FROM member WHERE tripId = NEW.id;
                END;
                CREATE TRIGGER member_joined AFTER INSERT ON member BEGIN
                    INSERT OR REPLACE INTO tripChange(tripId, readerId, ownerId)
                        SELECT NEW.tripId, NEW.userId, ownerId FROM trip WHERE id = NEW.tripId;
                END;
                CREATE TRIGGER member_role_changed AFTER UPDATE OF role ON member BEGIN
                    INSERT OR REPLACE INTO tripChange(tripId, readerId, ownerId)
                        SELECT NEW.tripId, NEW.userId, ownerId FROM trip WHERE id = NEW.tripId;
                END;
                """)
        }
        return migrator
    }
}
