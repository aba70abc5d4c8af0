package org.atrium.console.view.gpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.atrium.console.view.Formats;
import org.atrium.console.view.Messages;
import org.atrium.console.view.gpus.GpusViewModel.GpuHistory;
import org.atrium.console.view.widgets.Styles;
import org.atrium.console.view.widgets.TimeChart;
import org.atrium.console.view.widgets.ViewHeader;

/** One card per GPU with two ChartFX charts (load %, heat and power), grouped under its node. */
public final class GpusView {
    private final VBox root;
    private final VBox nodes = new VBox(16);
    private final List<Card> cards = new ArrayList<>();
    private final Messages m;
    private final Formats f;
    private final GpusViewModel vm;
    private final Label empty;

    public GpusView(GpusViewModel vm, Messages m, Formats f) {
        this.vm = vm;
        this.m = m;
        this.f = f;
        empty = new Label(m.get("gpus.none"));
        empty.getStyleClass().add(Styles.MUTED);
        ScrollPane scroll = new ScrollPane(nodes);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        scroll.getStyleClass().add("live-area");
        Label stale = org.atrium.console.view.widgets.StaleMarks.apply(scroll, vm.staleProperty(), vm.lastDataProperty(), m, f);
        root = new VBox(12, ViewHeader.of(m.get("nav.gpus"), null), stale, empty, scroll);
        VBox.setVgrow(scroll, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add(Styles.VIEW);
        root.getStylesheets().add(Styles.of(GpusView.class, "gpus.css"));
        root.setId("gpus-view");
        vm.gpus().addListener((ListChangeListener<GpuHistory>) c -> rebuild());
        vm.revisionProperty().addListener((o, a, b) -> cards.forEach(Card::refresh));
        rebuild();
    }

    private void rebuild() {
        cards.clear();
        nodes.getChildren().clear();
        Map<String, FlowPane> byNode = new LinkedHashMap<>();
        for (GpuHistory g : vm.gpus()) {
            FlowPane pane = byNode.computeIfAbsent(g.node(), n -> {
                FlowPane p = new FlowPane(12, 12);
                Label title = new Label(m.get("gpus.node", n));
                title.getStyleClass().add("node-title");
                nodes.getChildren().add(new VBox(8, title, p));
                return p;
            });
            Card c = new Card(g);
            cards.add(c);
            pane.getChildren().add(c.box);
        }
        empty.setVisible(vm.gpus().isEmpty());
        empty.setManaged(vm.gpus().isEmpty());
        cards.forEach(Card::refresh);
    }

    /** Charts currently shown (for tests). */
    public List<TimeChart> charts() {
        List<TimeChart> out = new ArrayList<>();
        cards.forEach(c -> {
            out.add(c.load);
            out.add(c.heat);
        });
        return out;
    }

    private final class Card {
        final VBox box;
        final TimeChart load;
        final TimeChart heat;
        final Label info = new Label();
        final GpuHistory g;

        Card(GpuHistory g) {
            this.g = g;
            load = new TimeChart(m.get("gpus.load"), "%", 100.0)
                    .add(m.get("gpus.util"), g.util()).add(m.get("gpus.memory"), g.memoryPercent());
            heat = new TimeChart(m.get("gpus.heat"), null, null)
                    .add(m.get("gpus.temperature"), g.temperature()).add(m.get("gpus.power"), g.power());
            Label title = new Label("GPU " + g.index() + (g.last() != null && g.last().name() != null ? " · " + g.last().name() : ""));
            title.getStyleClass().add(Styles.CARD_TITLE);
            info.getStyleClass().add(Styles.MUTED);
            HBox charts = new HBox(8, load.chart(), heat.chart());
            load.chart().setPrefWidth(330);
            heat.chart().setPrefWidth(330);
            box = new VBox(6, title, info, charts);
            box.getStyleClass().addAll(Styles.CARD, "gpu-card");
        }

        void refresh() {
            load.refresh();
            heat.refresh();
            var s = g.last();
            if (s != null) {
                info.setText(m.get("gpus.info", f.number(nz(s.utilPercent())), f.number(nz(s.memoryUsedMiB()) / 1024),
                        f.number(nz(s.memoryTotalMiB()) / 1024), f.number(nz(s.temperatureC())), f.number(nz(s.powerW())))
                        + (s.stale() ? "  " + m.get("gpus.stale") : ""));
                box.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("stale"), s.stale());
            }
        }

        private double nz(Double d) {
            return d == null ? Double.NaN : d;
        }
    }

    public Parent root() {
        return root;
    }
}
