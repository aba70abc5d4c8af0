package org.atrium.console.view;

import java.util.Arrays;

/**
 * A fixed-capacity time series: the newest {@code capacity} points, oldest dropped. Memory stays the
 * same however long the console runs. UI-thread confined.
 *
 * <p>Time only moves forward: a point at or before the newest one is refused (a reconnect's history
 * replays frames already drawn), so x is strictly increasing with no duplicates. A jump of more than
 * {@link #GAP_SECONDS} puts a NaN point in between, so charts break the line instead of drawing a
 * straight line across an outage.
 */
public final class RingSeries {
    /** Frames come once a second; a longer silence than this is an outage, drawn as a gap. */
    public static final double GAP_SECONDS = 3;

    private final double[] xs;
    private final double[] ys;
    private int head;
    private int size;

    public RingSeries(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be >= 2");
        }
        xs = new double[capacity];
        ys = new double[capacity];
    }

    /** @return false (and nothing stored) when x is not after the newest point */
    public boolean add(double x, double y) {
        if (size > 0) {
            double last = x(size - 1);
            if (!(x > last)) {
                return false;
            }
            if (x - last > GAP_SECONDS && !Double.isNaN(y(size - 1))) {
                put(last + 1, Double.NaN);
            }
        }
        put(x, y);
        return true;
    }

    private void put(double x, double y) {
        xs[head] = x;
        ys[head] = y;
        head = (head + 1) % xs.length;
        size = Math.min(size + 1, xs.length);
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return xs.length;
    }

    /** @param i 0 = oldest */
    public double x(int i) {
        return xs[index(i)];
    }

    public double y(int i) {
        return ys[index(i)];
    }

    public double lastY() {
        return size == 0 ? Double.NaN : y(size - 1);
    }

    public double lastX() {
        return size == 0 ? Double.NaN : x(size - 1);
    }

    public double maxY() {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            double v = y(i);
            if (!Double.isNaN(v)) {
                m = Math.max(m, v);
            }
        }
        return size == 0 ? 0 : m;
    }

    public double[] ySnapshot() {
        double[] out = new double[size];
        Arrays.setAll(out, this::y);
        return out;
    }

    private int index(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return (head - size + i + xs.length) % xs.length;
    }
}
