package io.airlock.generic;

/** A record stored as a JSON column. */
record Dimensions(int width, int height, String unit) {
}
