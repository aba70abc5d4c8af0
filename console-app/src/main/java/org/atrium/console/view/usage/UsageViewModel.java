package org.atrium.console.view.usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.atrium.console.client.AdminApiException;
import org.atrium.console.client.AdminClient;
import org.atrium.console.view.Async;
import org.atrium.console.view.Problem;
import org.atrium.model.UsageRow;

/** Per-tenant per-day usage for a chosen range, and CSV export of the same rows. */
public final class UsageViewModel {
    public static final int MAX_DAYS = 366;

    private final AdminClient client;
    private final Async.Tracker tracker;
    private final ObjectProperty<LocalDate> from = new SimpleObjectProperty<>();
    private final ObjectProperty<LocalDate> to = new SimpleObjectProperty<>();
    private final ObjectProperty<String> tenant = new SimpleObjectProperty<>();
    private final ObservableList<UsageRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<Path> lastExport = new SimpleObjectProperty<>();

    private final Clock clock;

    public UsageViewModel(AdminClient client, Async async, Clock clock) {
        this.client = client;
        this.tracker = async.tracker();
        this.clock = clock;
        resetRange();
    }

    /** The last 14 days up to today in the clock's zone (the gateway's quota zone). */
    public void resetRange() {
        LocalDate today = LocalDate.now(clock);
        to.set(today);
        from.set(today.minusDays(13));
    }

    private void checkRange() {
        if (from.get() == null || to.get() == null || from.get().isAfter(to.get())) {
            throw new AdminApiException(0, AdminApiException.INVALID_INPUT, "the start date must not be after the end date", "from", null);
        }
        if (from.get().plusDays(MAX_DAYS).isBefore(to.get())) {
            throw new AdminApiException(0, AdminApiException.INVALID_INPUT, "choose at most a year", "from", null);
        }
    }

    public void refresh() {
        tracker.run(() -> {
            checkRange();
            return client.usage(blankToNull(tenant.get()), from.get(), to.get(), "day");
        }, rows::setAll);
    }

    public void exportCsv(Path file) {
        tracker.run(() -> {
            checkRange();
            String csv = client.usageCsv(blankToNull(tenant.get()), from.get(), to.get(), "day");
            try {
                Files.writeString(file, csv, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new AdminApiException(0, "FILE_ERROR", "could not write " + file + ": " + e.getMessage(), null, e);
            }
            return file;
        }, lastExport::set);
    }

    /** tenant → (day → total tokens), days and tenants sorted, for the stacked chart. */
    public Map<String, Map<LocalDate, Long>> tokensByTenantAndDay() {
        Map<String, Map<LocalDate, Long>> out = new TreeMap<>();
        for (UsageRow r : rows) {
            out.computeIfAbsent(r.tenant(), k -> new TreeMap<>()).merge(r.day(), r.totalTokens(), Long::sum);
        }
        return out;
    }

    public List<LocalDate> days() {
        TreeSet<LocalDate> d = new TreeSet<>();
        for (LocalDate x = from.get(); x != null && !x.isAfter(to.get()); x = x.plusDays(1)) {
            d.add(x);
        }
        return List.copyOf(d);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    public ObjectProperty<LocalDate> fromProperty() { return from; }
    public ObjectProperty<LocalDate> toProperty() { return to; }
    public ObjectProperty<String> tenantProperty() { return tenant; }
    public ObservableList<UsageRow> rows() { return rows; }
    public ObjectProperty<Path> lastExportProperty() { return lastExport; }
    public ReadOnlyBooleanProperty busyProperty() { return tracker.busyProperty(); }
    public ObjectProperty<Problem> problemProperty() { return tracker.problemProperty(); }
}
