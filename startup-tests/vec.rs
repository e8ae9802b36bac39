//! The sqlite-vec check every registration path ends with: a `vec0` table, inserts (JSON text
//! and little-endian f32 blobs) and KNN queries with concrete rowids and distances.

use rusqlite::Connection;

/// `(rowid, embedding)`: distinct distances from the query points, no ties.
const ROWS: [(i64, [f32; 4]); 5] = [
    (1, [1.0, 0.0, 0.0, 0.0]),
    (2, [0.0, 2.0, 0.0, 0.0]),
    (3, [0.0, 0.0, 3.0, 0.0]),
    (4, [0.0, 0.0, 0.0, 4.0]),
    (5, [0.5, 0.0, 0.0, 0.0]),
];

fn as_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn knn(db: &Connection, table: &str, query: &str, k: i64) -> Vec<(i64, f64)> {
    let mut stmt = db
        .prepare(&format!(
            "SELECT rowid, distance FROM {table} WHERE embedding MATCH ?1 ORDER BY distance LIMIT ?2"
        ))
        .unwrap();
    let rows = stmt
        .query_map(rusqlite::params![query, k], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

fn assert_close(got: &[(i64, f64)], want: &[(i64, f64)]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((gid, gd), (wid, wd)) in got.iter().zip(want) {
        assert_eq!(gid, wid, "{got:?}");
        assert!((gd - wd).abs() < 1e-6, "{got:?}");
    }
}

/// sqlite-vec is registered on `db`'s engine and answers KNN queries exactly.
pub fn assert_knn(db: &Connection, table: &str) {
    let version: String = db
        .query_row("SELECT vec_version()", [], |r| r.get(0))
        .unwrap();
    assert!(version.starts_with('v'), "{version}");
    db.execute_batch(&format!(
        "DROP TABLE IF EXISTS {table}; CREATE VIRTUAL TABLE {table} USING vec0(embedding float[4])"
    ))
    .unwrap();
    for (rowid, v) in ROWS {
        let sql = format!("INSERT INTO {table}(rowid, embedding) VALUES (?1, ?2)");
        if rowid % 2 == 0 {
            db.execute(&sql, rusqlite::params![rowid, as_blob(&v)])
                .unwrap();
        } else {
            let json = format!("[{}]", v.map(|x| x.to_string()).join(","));
            db.execute(&sql, rusqlite::params![rowid, json]).unwrap();
        }
    }
    let n: i64 = db
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 5);
    assert_close(
        &knn(db, table, "[0,0,0,0]", 3),
        &[(5, 0.5), (1, 1.0), (2, 2.0)],
    );
    assert_close(
        &knn(db, table, "[1,0,0,0]", 4),
        &[(1, 0.0), (5, 0.5), (2, 5f64.sqrt()), (3, 10f64.sqrt())],
    );
    let blob: Vec<u8> = db
        .query_row(
            &format!("SELECT embedding FROM {table} WHERE rowid = 3"),
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(blob, as_blob(&ROWS[2].1));
    let l2: f64 = db
        .query_row("SELECT vec_distance_l2('[3,4]', '[0,0]')", [], |r| r.get(0))
        .unwrap();
    assert_eq!(l2, 5.0);
}
