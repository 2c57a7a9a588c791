//! TODO: markdown parser.
