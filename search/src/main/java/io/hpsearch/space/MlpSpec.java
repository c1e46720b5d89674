package io.hpsearch.space;

/**
 * A multi-layer perceptron space. {@code units} and {@code dropout} are sampled independently for each hidden layer
 * that exists; dropout values are drop probabilities (the Keras meaning).
 */
public record MlpSpec(Param inputDropout, Param hiddenLayers, Param units, Param dropout, Param optimizer,
                      Param learningRate) {
}
