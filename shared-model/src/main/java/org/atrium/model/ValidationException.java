package org.atrium.model;

/** Thrown by record constructors when a field is wrong; carries the field so the API can name it. */
public final class ValidationException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public ValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public static void require(boolean ok, String field, String message) {
        if (!ok) {
            throw new ValidationException(field, message);
        }
    }
}
