package io.hpsearch.trainer;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

import java.lang.reflect.Field;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Fast convolutions on the CPU. DL4J 1.0.0-M2.1 never attaches its oneDNN convolution helper: helpers are off by
 * default ({@code org.eclipse.deeplearning4j.helpers.disable}), and turned on, the check in
 * {@code BaseMKLDNNHelper.mklDnnEnabled} loads {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class that moved
 * in M2.1, so every convolution goes through im2col and a separate gemm. On one thread that path trained the
 * reference CNN at 21 images/s here; the helper, which runs libnd4j's conv2d op (oneDNN's convolution in the
 * {@code -onednn} natives), at 236 images/s, with the same gradients to float rounding (bench/conv). Batch
 * normalisation layers lose their helper the same way; they get {@link FastBatchNorm}. Dense layers of a stack get
 * {@link FastDenseLayer}, whose products take ND4J's fast gemm path and skip the two nobody needs (with
 * {@link FastAdam}, which {@link Net} gives the updater at the first fit, 1.4-2.3x DL4J's step on the MLPs,
 * bench/dense).
 */
public final class OneDnn {
    /** JavaCPP's choice of natives; a platform without {@code -onednn} natives falls back to the plain ones. */
    private static final String NATIVES_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final Field CONVOLUTION_HELPER = field(ConvolutionLayer.class, "helper");
    private static final Field BATCH_NORM_HELPER = field(BatchNormalization.class, "helper");
    private static final Field BATCH_NORM_FAILURES = field(BatchNormalization.class, "helperCountFail");

    private OneDnn() {
    }

    /**
     * Asks JavaCPP for the natives built with oneDNN, unless the user chose others, and quiets OpenMP's idle threads
     * ({@link NativeThreads#quietOpenMp}). Only has an effect before ND4J first loads, so entry points call it first.
     */
    public static void selectNatives() {
        NativeThreads.quietOpenMp();
        if (System.getProperty(NATIVES_PROPERTY) == null) {
            System.setProperty(NATIVES_PROPERTY, natives(Set.copyOf(Cpu.flags()), ext -> OneDnn.class.getClassLoader()
                    .getResource(LINUX_NATIVES + ext + "/libjnind4jcpu.so") != null));
        }
    }

    /** Where ND4J's jars keep their Linux x86_64 natives, per build. */
    private static final String LINUX_NATIVES = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64";

    /**
     * The natives to load: the oneDNN build compiled for AVX2 where the CPU has AVX2 and FMA and the build is on the
     * class path (bench/threads: 2-20 % faster than the baseline build on the MLPs and the CNN; the AVX-512 build
     * was no faster than AVX2's), else the baseline oneDNN build.
     */
    static String natives(Set<String> cpuFlags, Predicate<String> available) {
        return cpuFlags.contains("avx2") && cpuFlags.contains("fma") && available.test("-onednn-avx2")
                ? "-onednn-avx2" : "-onednn";
    }

    /**
     * Gives every convolution layer of an initialised network the conv2d-op helper, and every batch normalisation
     * layer {@link FastBatchNorm}; returns the network.
     */
    public static MultiLayerNetwork attach(MultiLayerNetwork network) {
        attach(network.getLayers(), network.getLayerWiseConfigurations().getDataType());
        return network;
    }

    /**
     * The same for a stack or a graph, and a stack's plain dense layers become {@link FastDenseLayer}s (DL4J's dense
     * layer misses the fast path of its matrix products the way its convolutions miss oneDNN); every plain dropout
     * gets {@link FastDropout} (its masks are not DL4J's: the network trains as DL4J's would, not to the same weights).
     */
    public static Net attach(Net network) {
        if (network.model() instanceof MultiLayerNetwork stack) {
            FastDenseLayer.attach(stack);
        }
        attach(network.layers(), network.params().dataType());
        FastDropout.attach(network.layers(), network.params().dataType());
        return network;
    }

    private static void attach(Layer[] layers, DataType dataType) {
        for (Layer layer : layers) {
            if (layer.getHelper() != null) {
                continue;
            }
            if (layer.getClass() == ConvolutionLayer.class) {
                set(CONVOLUTION_HELPER, layer, new MKLDNNConvHelper(dataType));
            } else if (layer.getClass() == BatchNormalization.class && FastBatchNorm.fits(
                    (org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer(), dataType)) {
                set(BATCH_NORM_HELPER, layer, new FastBatchNorm());
            }
        }
    }

    /**
     * Whether a layer is batch normalisation that {@link FastBatchNorm} computes: attached and never failed. DL4J
     * keeps a helper that threw: it counts the failure ({@code helperCountFail}) and, with fallback allowed (the
     * default), normalises on its own path from then on, logging only.
     */
    static boolean fastBatchNorm(Layer layer) {
        if (!(layer instanceof BatchNormalization) || !(layer.getHelper() instanceof FastBatchNorm)) {
            return false;
        }
        try {
            return BATCH_NORM_FAILURES.getInt(layer) == 0 || !((org.deeplearning4j.nn.conf.layers.BatchNormalization)
                    layer.conf().getLayer()).isCudnnAllowFallback();
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read DL4J's " + BATCH_NORM_FAILURES, e);
        }
    }

    private static void set(Field helper, Layer layer, Object value) {
        try {
            helper.set(layer, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set DL4J's " + helper, e);
        }
    }

    private static Field field(Class<?> layer, String name) {
        try {
            Field field = layer.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this DL4J version has no " + layer.getSimpleName() + "." + name + "; "
                    + "hpsearch's fast convolution and batch normalisation paths are written for 1.0.0-M2.1", e);
        }
    }
}
