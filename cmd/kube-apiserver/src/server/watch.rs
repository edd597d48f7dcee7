//! Watch responses: a chunked stream of newline-delimited `{"type","object"}` JSON frames, one
//! chunk per event so each reaches the client as it happens, ended by the watch's deadline,
//! server shutdown, or the store closing the watch.

use super::conversion::{self, IncludeObject};
use super::observe::RequestRecord;
use super::response::ResponseBody;
use crate::negotiation::{Conversion, MetaVersion};
use crate::registry::{RestResource, WatchEvents};
use api_types::meta::v1::{Status, WatchEvent, WatchEventType};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Body, Frame};
use serde_json::Value;
use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// How each event's object is presented, per the negotiated conversion.
pub enum EventObjects {
    /// As the store sends them.
    Plain,
    /// Metadata only, as `PartialObjectMetadata`.
    PartialMetadata(MetaVersion),
    /// One-row tables; column definitions only in the first, as upstream saves bandwidth.
    Table {
        resource: Arc<dyn RestResource>,
        version: MetaVersion,
        include: IncludeObject,
        columns_sent: bool,
    },
}

impl EventObjects {
    /// The presentation for a negotiated conversion.
    pub fn new(
        conversion: Option<&Conversion>,
        resource: Arc<dyn RestResource>,
        include: IncludeObject,
    ) -> Self {
        match conversion {
            Some(Conversion::PartialObjectMetadata(version)) => {
                EventObjects::PartialMetadata(*version)
            }
            Some(Conversion::Table(version)) => {
                EventObjects::Table { resource, version: *version, include, columns_sent: false }
            }
            _ => EventObjects::Plain,
        }
    }

    /// Encodes one event as a frame (JSON and a newline). Errors and bookmarks pass unchanged;
    /// a failed table conversion becomes an `ERROR` event.
    fn encode(&mut self, mut event: WatchEvent<Value>) -> Bytes {
        if !matches!(event.type_, WatchEventType::Error | WatchEventType::Bookmark) {
            match self {
                EventObjects::Plain => {}
                EventObjects::PartialMetadata(version) => {
                    event.object = conversion::partial_metadata(&event.object, *version);
                }
                EventObjects::Table { resource, version, include, columns_sent } => {
                    let objects = std::slice::from_ref(&event.object);
                    event = match conversion::table(
                        resource.as_ref(),
                        objects,
                        None,
                        *version,
                        *include,
                    ) {
                        Ok(mut table) => {
                            if *columns_sent {
                                table.column_definitions.clear();
                            }
                            *columns_sent = true;
                            let object = serde_json::to_value(table).unwrap_or(Value::Null);
                            WatchEvent::new(event.type_, object)
                        }
                        Err(status) => WatchEvent::error(&status),
                    };
                }
            }
        }
        let mut frame = serde_json::to_vec(&event).unwrap_or_else(|error| {
            let status = Status::internal_error(format!("encoding watch event: {error}"));
            serde_json::to_vec(&WatchEvent::error(&status)).unwrap_or_default()
        });
        frame.push(b'\n');
        Bytes::from(frame)
    }
}

/// The streaming body of one watch. Finishes its request record (log line, metrics) when it ends
/// or the client goes away.
pub struct WatchBody {
    events: WatchEvents,
    objects: EventObjects,
    deadline: Option<Pin<Box<Sleep>>>,
    shutdown: Pin<Box<dyn Future<Output = ()> + Send>>,
    record: Option<RequestRecord>,
    ended: bool,
}

impl WatchBody {
    /// A body streaming `events` until `duration` passes (forever when `None`) or `shutdown`
    /// completes.
    pub fn new(
        events: WatchEvents,
        objects: EventObjects,
        duration: Option<Duration>,
        shutdown: impl Future<Output = ()> + Send + 'static,
        record: Option<RequestRecord>,
    ) -> Self {
        WatchBody {
            events,
            objects,
            deadline: duration.map(|duration| Box::pin(tokio::time::sleep(duration))),
            shutdown: Box::pin(shutdown),
            record,
            ended: false,
        }
    }

    /// The body as a response body.
    pub fn boxed(self) -> ResponseBody {
        BodyExt::boxed_unsync(self)
    }
}

impl Body for WatchBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        context: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        // Events already queued go out before the deadline is looked at, so a watch that times
        // out still delivers what happened before its end.
        match this.events.poll_recv(context) {
            Poll::Ready(Some(event)) => {
                return Poll::Ready(Some(Ok(Frame::data(this.objects.encode(event)))));
            }
            Poll::Ready(None) => {
                this.ended = true;
                return Poll::Ready(None);
            }
            Poll::Pending => {}
        }
        let timed_out = this
            .deadline
            .as_mut()
            .is_some_and(|deadline| deadline.as_mut().poll(context).is_ready());
        if timed_out || this.shutdown.as_mut().poll(context).is_ready() {
            this.ended = true;
            return Poll::Ready(None);
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.ended
    }
}

impl Drop for WatchBody {
    fn drop(&mut self) {
        if let Some(record) = self.record.take() {
            record.finish(200);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tokio::sync::mpsc;

    async fn next_frame(body: &mut WatchBody) -> Option<Value> {
        let frame = body.frame().await?.unwrap();
        let data = frame.into_data().unwrap();
        assert_eq!(data.last(), Some(&b'\n'));
        Some(serde_json::from_slice(&data).unwrap())
    }

    fn added(name: &str) -> WatchEvent<Value> {
        WatchEvent::new(
            WatchEventType::Added,
            json!({"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": name}, "data": {}}),
        )
    }

    #[tokio::test]
    async fn events_stream_as_json_lines_until_the_store_closes() {
        let (sender, events) = mpsc::channel(4);
        let mut body =
            WatchBody::new(events, EventObjects::Plain, None, std::future::pending(), None);
        sender.send(added("a")).await.unwrap();
        sender.send(WatchEvent::error(&Status::resource_expired("too old"))).await.unwrap();
        let first = next_frame(&mut body).await.unwrap();
        assert_eq!(first["type"], "ADDED");
        assert_eq!(first["object"]["metadata"]["name"], "a");
        let second = next_frame(&mut body).await.unwrap();
        assert_eq!(second["type"], "ERROR");
        assert_eq!(second["object"]["code"], 410);
        drop(sender);
        assert!(next_frame(&mut body).await.is_none());
        assert!(body.is_end_stream());
    }

    #[tokio::test(start_paused = true)]
    async fn the_deadline_ends_the_stream_after_pending_events() {
        let (sender, events) = mpsc::channel(4);
        let mut body = WatchBody::new(
            events,
            EventObjects::Plain,
            Some(Duration::from_secs(30)),
            std::future::pending(),
            None,
        );
        sender.send(added("a")).await.unwrap();
        tokio::time::advance(Duration::from_secs(31)).await;
        assert_eq!(next_frame(&mut body).await.unwrap()["type"], "ADDED");
        assert!(next_frame(&mut body).await.is_none());
    }

    #[tokio::test]
    async fn shutdown_ends_the_stream() {
        let (_sender, events) = mpsc::channel::<WatchEvent<Value>>(4);
        let mut body =
            WatchBody::new(events, EventObjects::Plain, None, std::future::ready(()), None);
        assert!(next_frame(&mut body).await.is_none());
    }

    #[tokio::test]
    async fn partial_metadata_events_keep_bookmarks_as_they_are() {
        let (sender, events) = mpsc::channel(4);
        let mut body = WatchBody::new(
            events,
            EventObjects::PartialMetadata(MetaVersion::V1),
            None,
            std::future::pending(),
            None,
        );
        sender.send(added("a")).await.unwrap();
        let bookmark = WatchEvent::new(
            WatchEventType::Bookmark,
            json!({"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"resourceVersion": "9"}}),
        );
        sender.send(bookmark).await.unwrap();
        let first = next_frame(&mut body).await.unwrap();
        assert_eq!(first["object"]["kind"], "PartialObjectMetadata");
        assert!(first["object"].get("data").is_none());
        let second = next_frame(&mut body).await.unwrap();
        assert_eq!(second["object"]["kind"], "ConfigMap");
    }
}
