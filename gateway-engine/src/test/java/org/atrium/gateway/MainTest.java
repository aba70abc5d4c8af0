package org.atrium.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void onlyAPlainStartSkipsTheOperatorSubcommands() {
        assertThat(Main.startsGatewayOnly(new String[0])).isTrue();
        assertThat(Main.startsGatewayOnly(new String[] {"--config", "a.yaml", "--data-dir", "/d"})).isTrue();
        assertThat(Main.startsGatewayOnly(new String[] {"--config=a.yaml"})).isTrue();
        assertThat(Main.startsGatewayOnly(new String[] {"token", "list"})).isFalse();
        assertThat(Main.startsGatewayOnly(new String[] {"--data-dir", "/d", "ban", "list"})).isFalse();
        assertThat(Main.startsGatewayOnly(new String[] {"--help"})).isFalse();
        assertThat(Main.startsGatewayOnly(new String[] {"--config"})).isFalse(); // picocli says what is missing
        assertThat(Main.startsGatewayOnly(new String[] {"tokn"})).isFalse();
        assertThat(Main.startsGatewayOnly(new String[] {"--config", "a.yaml", "--config", "b.yaml"})).isFalse();
        assertThat(Main.startsGatewayOnly(new String[] {"--config", "--data-dir", "/d"})).isFalse();
    }

    @Test
    void aPlainStartIsReadWithoutPicocli() {
        Main m = Main.plainStart(new String[] {"--config", "/etc/atrium/atrium.yaml", "--data-dir=/var/lib/atrium"});
        assertThat(m.config).isEqualTo(java.nio.file.Path.of("/etc/atrium/atrium.yaml"));
        assertThat(m.dataDir).isEqualTo(java.nio.file.Path.of("/var/lib/atrium"));
        assertThat(Main.plainStart(new String[0]).config).isNull();
        assertThat(Main.plainStart(new String[] {"--version"})).isNull();
    }
}
