/**
 * LCM-4, the consistency-distilled baseline of the evaluation table
 * (docs/ALGORITHM.md#lcm-baseline): latent consistency distillation (Song et al. 2023; Luo et al.
 * 2023) of the frozen rectified-flow teacher into a 4-step student.
 *
 * <ul>
 *   <li>{@link com.magicdistill.engine.distill.lcm.ConsistencyFunction}: f(x, s) = x - s v(x, s,
 *       c), boundary condition f(x, 0) = x by construction.
 *   <li>{@link com.magicdistill.engine.distill.lcm.LcmObjective}: teacher Euler step s_hi -> s_lo
 *       on SigmaSchedule(N, shift) with skip k, target f_{theta^-}(x_hat, s_lo), L2 or
 *       pseudo-Huber.
 *   <li>{@link com.magicdistill.engine.distill.lcm.LcmDistillation}: student initialised from the
 *       teacher, trained by {@code engine.train.Trainer}; the trainer's EMA is the target network.
 *   <li>Sampling: {@link com.magicdistill.engine.sample.RenoisingSampler}, LCM's multistep sampler
 *       (4 model calls on {1, .9375, .8333, .625}), with deterministic per-clip re-noising; the
 *       DMD2 and W2S generators use the same sampler.
 * </ul>
 */
package com.magicdistill.engine.distill.lcm;
