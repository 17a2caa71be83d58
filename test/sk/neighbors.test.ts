import { describe, it, expect } from 'vitest';
import { KNeighborsClassifier } from '../../src/sk/neighbors';
import { accuracyScore, confusionMatrix } from '../../src/sk/metrics';
import { trainTestSplit } from '../../src/sk/split';
import { digitsSplit } from './helpers';

describe('KNeighborsClassifier', () => {
  it('votes among the k nearest rows', () => {
    const X = [[0, 0], [0, 1], [1, 0], [10, 10], [10, 11]];
    const y = [0, 0, 0, 1, 1];
    const knn = new KNeighborsClassifier({ nNeighbors: 3 }).fit(X, y);
    expect(knn.predict([[0.2, 0.2], [9, 9]])).toEqual([0, 1]);
    expect(Array.from(knn.kneighbors([[10, 10.9]])[0])).toEqual([4, 3, 1]);
    expect(new KNeighborsClassifier({ n_neighbors: 1 }).fit(X, y).predict([[6, 6]])).toEqual([1]);
  });

  it('recognises the 8x8 digits well', () => {
    const { XTrain, yTrain, XTest, yTest } = digitsSplit();
    const acc = new KNeighborsClassifier().fit(XTrain, yTrain).score(XTest, yTest);
    expect(acc).toBeGreaterThan(0.97);
  });

  it('checks its inputs', () => {
    expect(() => new KNeighborsClassifier({ nNeighbors: 0 })).toThrow(/nNeighbors must be a positive integer/);
    expect(() => new KNeighborsClassifier({ nNeighbors: 3 }).fit([[1], [2]], [0, 1])).toThrow(/only 2 training samples/);
    expect(() => new KNeighborsClassifier().predict([[1]])).toThrow(/not fitted yet/);
  });
});

describe('metrics and trainTestSplit', () => {
  it('counts accuracy and confusions', () => {
    expect(accuracyScore([1, 2, 3, 4], [1, 2, 0, 4])).toBe(0.75);
    expect(confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2])).toEqual([[1, 0, 0], [0, 1, 1], [0, 0, 1]]);
    expect(() => accuracyScore([1], [1, 2])).toThrow(/yTrue has 1 labels, yPred 2/);
  });

  it('splits 75/25, stratified, repeatably, keeping rows with their labels', () => {
    const X = Array.from({ length: 40 }, (_, i) => [i, i * 2]);
    const y = Array.from({ length: 40 }, (_, i) => (i < 32 ? 0 : 1));
    const s = trainTestSplit(X, y, { randomState: 3 });
    expect(s.yTest).toHaveLength(10);
    expect(s.yTest.filter((v) => v === 1)).toHaveLength(2);
    expect(s.XTest.shape).toEqual([10, 2]);
    expect([s.XTest.data[0], s.XTest.data[1]]).toEqual([s.testIndex[0], s.testIndex[0] * 2]);
    expect(trainTestSplit(X, y, { randomState: 3 }).testIndex).toEqual(s.testIndex);
    expect(() => trainTestSplit(X, y.slice(1))).toThrow(/y has 39 labels but X has 40 samples/);
  });
});
