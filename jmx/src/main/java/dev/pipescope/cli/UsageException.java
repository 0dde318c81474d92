package dev.pipescope.cli;

/** A command line that is well-formed for the parser but cannot be carried out; exits with 2. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(final String message) {
        super(message);
    }

    UsageException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
