/** JavaFX building blocks the feature views share: tiles, sparklines, ChartFX time charts, the problem bar. */
package org.atrium.console.view.widgets;
