//! The transport floor: a loopback TCP echo server in the same runtime, and clients that send a
//! create's body and wait for it to come back, one round trip at a time on their own
//! connection. Whatever a create costs beyond this is the apiserver's and the store's.

use super::report::Timed;
use super::single_key::{drive, owned_by};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A running echo server; it stops when the runtime does.
pub struct EchoServer {
    address: SocketAddr,
}

impl EchoServer {
    /// Binds a loopback port and echoes everything each connection sends.
    pub async fn start() -> EchoServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind the echo port");
        let address = listener.local_addr().expect("the echo port's address");
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let mut buffer = vec![0; 64 * 1024];
                    while let Ok(read) = stream.read(&mut buffer).await {
                        if read == 0 || stream.write_all(&buffer[..read]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        EchoServer { address }
    }

    /// `count` round trips of `message` from `clients` connections, each client one at a time.
    pub async fn round_trips(&self, clients: usize, count: usize, message: &[u8]) -> Timed {
        let message: Arc<[u8]> = message.into();
        let mut streams = Vec::with_capacity(clients);
        for _ in 0..clients {
            let stream = TcpStream::connect(self.address).await.expect("connect to the echo");
            stream.set_nodelay(true).expect("set TCP_NODELAY");
            streams.push(Some(stream));
        }
        let (elapsed, per_client) = drive(clients, |client| {
            let mut stream = streams[client].take().expect("one stream per client");
            let message = Arc::clone(&message);
            async move {
                let mut echoed = vec![0; message.len()];
                let mut latencies = Vec::new();
                for _ in owned_by(client, clients, count) {
                    let started = Instant::now();
                    stream.write_all(&message).await.expect("send to the echo");
                    stream.read_exact(&mut echoed).await.expect("read the echo");
                    latencies.push(started.elapsed());
                }
                if !latencies.is_empty() {
                    assert_eq!(echoed[..], message[..], "the echo returned other bytes");
                }
                latencies
            }
        })
        .await;
        Timed::new(elapsed, per_client.into_iter().flatten().collect())
    }
}
