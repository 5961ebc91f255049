package com.magicdistill.engine.export;

import com.magicdistill.engine.model.VideoDiT;
import com.magicdistill.engine.sample.SamplerKind;
import com.magicdistill.engine.sample.SigmaSchedule;

/**
 * A verified model package in memory: the generator (parameters owned by the manager passed to
 * {@link ModelPackage#load}, frozen for inference), its sampler schedule and its model card.
 */
public record LoadedModel(
    VideoDiT model, SigmaSchedule schedule, SamplerKind sampler, ModelCard card) {}
