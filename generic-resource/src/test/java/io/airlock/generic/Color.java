package io.airlock.generic;

enum Color {
    RED, GREEN, BLUE
}
