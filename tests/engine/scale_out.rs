//! Several processes on one PostgreSQL database (needs a server:
//! `PONDER_TEST_POSTGRES`; under `CI=true` its absence fails).

use ponder::config::Config;
use ponder::db::Db;

use crate::postgres;

/// Processes sharing a database start together and write the same config:
/// each channel must end with one schedule per configured one, never one
/// per process (each would post every slot).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_starting_together_write_the_config_once() {
    let Some(server) = postgres::server() else {
        return;
    };
    let store = postgres::fresh_database(&server);
    let channels: String = (0..12)
        .map(|i| {
            format!(
                "[[channel]]\nplatform = \"discord\"\nid = \"{}\"\nschedules = [\"daily 09:00\", \"every 3h\"]\nquiet = [\"sat,sun\"]\n",
                1000 + i
            )
        })
        .collect();
    let text = format!("[console]\n{channels}");
    let config = Config::parse(std::path::Path::new("config.toml"), &text).unwrap();
    // Migrated once, as the first process to start does.
    Db::open_store(&store).await.unwrap().close().await;
    for _ in 0..3 {
        let mut handles = Vec::new();
        for _ in 0..3 {
            let (store, config) = (store.clone(), config.clone());
            handles.push(tokio::spawn(async move {
                let db = Db::open_store(&store).await.unwrap();
                ponder::app::sync_channels(&db, &config).await.unwrap();
                db.close().await;
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
    }
    let db = Db::open_store_read_only(&store).await.unwrap();
    let rows = db.channels().await.unwrap();
    assert_eq!(rows.len(), 12);
    for ch in rows {
        let specs: Vec<String> = db
            .schedules_of(ch.id)
            .await
            .unwrap()
            .into_iter()
            .map(|s| s.spec)
            .collect();
        assert_eq!(specs.len(), 2, "{}: {specs:?}", ch.external_id);
        assert_eq!(
            db.quiet_days(ch.id).await.unwrap().len(),
            1,
            "{}",
            ch.external_id
        );
    }
}
