//! Defaults as upstream's v1 API applies them to incoming objects.
