package dev.pipescope.stage;

/** Thrown when a class offered as a stage type breaks the {@link Stage} SPI contract. */
public final class StageContractException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param stageClass the offending class name.
     * @param problem    what is wrong and how to fix it.
     */
    public StageContractException(final String stageClass, final String problem) {
        super("stage type " + stageClass + " breaks the Stage contract: " + problem);
    }
}
