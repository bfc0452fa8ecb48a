//! Synchronous spatial indexes: tickets (rstar) and area polygons. No I/O.
