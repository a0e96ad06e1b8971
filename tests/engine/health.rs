//! `/healthz` over a real socket: 200 when all is well, 503 with reasons.

use std::io::{Read, Write};
use std::sync::Arc;

use ponder::db::Db;
use ponder::engine::Chat;
use ponder::http::{HttpState, serve};
use ponder::platform::memory::MemoryChat;

async fn get(port: u16, path: &'static str) -> (u16, serde_json::Value) {
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(s, "GET {path} HTTP/1.0\r\n\r\n").unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        let status = answer.split_whitespace().nth(1).unwrap().parse().unwrap();
        let body = answer.split_once("\r\n\r\n").unwrap().1.to_string();
        (
            status,
            serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
        )
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn healthz_is_503_with_reasons_when_a_platform_is_down_or_the_database_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("h.db")).await.unwrap();
    let chat = Arc::new(MemoryChat::new());
    let state = HttpState {
        db: db.clone(),
        chats: vec![chat.clone() as Arc<dyn Chat>],
        metrics: ponder::metrics::install().unwrap(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (trigger, shutdown) = ponder::shutdown::channel();
    let server = tokio::spawn(serve(listener, state, shutdown));

    let (status, body) = get(port, "/healthz").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("ok")));

    chat.set_connected(false);
    let (status, body) = get(port, "/healthz").await;
    assert_eq!(status, 503);
    assert_eq!(
        body["reasons"],
        serde_json::json!(["memory is not connected"])
    );

    chat.set_connected(true);
    db.close().await;
    let (status, body) = get(port, "/healthz").await;
    assert_eq!(status, 503);
    assert!(
        body["reasons"][0]
            .as_str()
            .unwrap()
            .starts_with("database not writable"),
        "{body}"
    );

    trigger.fire();
    server.await.unwrap().unwrap();
}
