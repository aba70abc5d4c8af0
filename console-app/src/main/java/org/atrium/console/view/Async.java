package org.atrium.console.view;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * Runs blocking work on the I/O executor and hands the outcome to the UI executor. Tests inject
 * {@code Runnable::run} for both so a command completes before the call returns.
 */
public final class Async {
    private final Executor io;
    private final Executor ui;

    public Async(Executor io, Executor ui) {
        this.io = Objects.requireNonNull(io);
        this.ui = Objects.requireNonNull(ui);
    }

    public Executor ui() {
        return ui;
    }

    /** A busy flag plus problem slot for one screen; commands started through it set both. */
    public Tracker tracker() {
        return new Tracker();
    }

    public final class Tracker {
        private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
        private final javafx.beans.property.ObjectProperty<Problem> problem =
                new javafx.beans.property.SimpleObjectProperty<>();
        private int running;

        public ReadOnlyBooleanProperty busyProperty() {
            return busy.getReadOnlyProperty();
        }

        public javafx.beans.property.ObjectProperty<Problem> problemProperty() {
            return problem;
        }

        public <T> void run(Callable<T> work, Consumer<? super T> onSuccess) {
            run(work, onSuccess, p -> problem.set(p));
        }

        public <T> void run(Callable<T> work, Consumer<? super T> onSuccess, Consumer<Problem> onFailure) {
            running++;
            busy.set(true);
            problem.set(null);
            io.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Exception | Error e) {
                    Problem p = Problem.of(e);
                    ui.execute(() -> {
                        done();
                        onFailure.accept(p);
                    });
                    return;
                }
                ui.execute(() -> {
                    done();
                    onSuccess.accept(result);
                });
            });
        }

        private void done() {
            running--;
            busy.set(running > 0);
        }
    }
}
