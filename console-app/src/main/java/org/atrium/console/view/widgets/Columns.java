package org.atrium.console.view.widgets;

import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;

/** Table columns made one way: text columns, and number columns right-aligned that sort by value. */
public final class Columns {
    public static final String NUMBER = "number-cell";

    private Columns() {
    }

    public static <T> TableColumn<T, String> text(String title, Function<T, String> fn) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(fn.apply(d.getValue())));
        return c;
    }

    /**
     * A right-aligned figure ({@code format} of the value) that sorts by the value itself, NaN last.
     */
    public static <T> TableColumn<T, Double> number(String title, ToDoubleFunction<T> value, Function<Double, String> format) {
        TableColumn<T, Double> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(value.applyAsDouble(d.getValue())));
        c.setComparator(Comparator.nullsLast(Comparator.comparingDouble((Double v) -> Double.isNaN(v) ? Double.MAX_VALUE : v)));
        c.getStyleClass().add(NUMBER);
        c.setCellFactory(col -> new TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : format.apply(v));
            }
        });
        return c;
    }
}
