use dbcompat::Connection;
#[test]
fn probe() {
    let dir = std::env::temp_dir().join(format!("zzp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (label, db) in [("empty-file", Connection::open(dir.join("e.db")).unwrap()), ("file", { let d = Connection::open(dir.join("f.db")).unwrap(); d.execute_batch("CREATE TABLE t(x)").unwrap(); d })] {
        let names: Vec<String> = db.prepare("SELECT name FROM pragma_pragma_list ORDER BY name").unwrap()
            .query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
        let mut rw = vec![];
        for n in names {
            for form in [format!("PRAGMA {n}"), format!("PRAGMA {n} = 1"), format!("PRAGMA {n}(1)"), format!("PRAGMA main.{n} = 1")] {
                if let Ok(s) = db.prepare(&form) { if !s.readonly() { rw.push(form) } }
            }
        }
        println!("{label} RW {}", rw.join(" | "));
    }
}
