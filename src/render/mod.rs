//! Rendering a [`crate::report::Report`] as markdown and JSON.
