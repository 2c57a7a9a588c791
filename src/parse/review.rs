//! TODO: review parser.
