/**
 * Feature screens: each {@code view/<feature>/} package holds {@code XxxView} (JavaFX nodes, only
 * binds), {@code XxxViewModel} (state and commands, testable without a toolkit) and {@code xxx.css}.
 * This package holds what they share: async commands, live-frame batching, ring buffers, texts.
 */
package org.atrium.console.view;
