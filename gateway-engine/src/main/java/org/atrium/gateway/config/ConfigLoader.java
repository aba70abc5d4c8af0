package org.atrium.gateway.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.atrium.model.Json;
import org.atrium.model.ValidationException;

/** Reads the YAML configuration file into {@link GatewayConfig}, with errors a person can act on. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = Json.configure(YAMLMapper.builder())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(ConfigDurations.module())
            .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private ConfigLoader() {
    }

    /** Loads {@code file}, or the defaults when {@code file} is null. */
    public static GatewayConfig load(Path file) {
        if (file == null) {
            return GatewayConfig.defaults();
        }
        try {
            String text = Files.readString(file);
            if (text.isBlank()) {
                return GatewayConfig.defaults();
            }
            GatewayConfig cfg = YAML.readValue(text, GatewayConfig.class);
            return cfg == null ? GatewayConfig.defaults() : cfg;
        } catch (ValueInstantiationException e) {
            throw new ConfigException(file + ": " + describe(e), e);
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": " + describe(e), e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (ValidationException e) {
            throw new ConfigException(file + ": " + e.getMessage(), e);
        }
    }

    private static String describe(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof ValidationException)) {
            cause = cause.getCause();
        }
        String what = cause != null ? cause.getMessage() : e.getOriginalMessage();
        if (what != null) {
            what = what.split("\n")[0];
            if (what.startsWith("Unrecognized field")) {
                what = "unknown key " + what.substring("Unrecognized field ".length()).split(" ")[0];
            }
        }
        return (path.isEmpty() ? "" : "at " + path + ": ") + what;
    }
}
