package dev.kedaotel.server.simulate;

/**
 * Bad input to the simulator: a file that cannot be read, a field of the ScaledObject or a line of the history
 * that is wrong or unsupported. The message names the file, the line and the field, so the user can fix it
 * without reading code; {@link SimulateCommand} prints it and exits with status 2.
 */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }
}
