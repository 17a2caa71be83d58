#!/usr/bin/python3
"""A faithful numpy port of document 001's from-scratch net (part 6, "net.py"): 1024-16-16-10,
sigmoid everywhere, loss 0.5*sum of squared error, per-sample SGD, lr 0.01, randn init.

Used by bench/scratch/run.js to time one training epoch against digitlab's TypeScript net on the
same 32x32 text digits. The network code below keeps the document's listing as it is (the same
numpy calls in the same order, column vectors, W of shape [out, in]); only the plotting is left
out and a timer is put around each epoch.

usage: /usr/bin/python3 net001.py DIGITS_ZIP [EPOCHS] [SEED]
prints one JSON line: {"epochSeconds": [...], "epochCpuSeconds": [...], "accuracy": [...], "loss": [...], "numpy": "..."}
"""
import json
import os
import sys
import tempfile
import time
import zipfile
from os import listdir

import numpy as np


# --- the document's data loader (img2vector / handwritingData) ---
def img2vector(filename):
    returnVect = np.zeros((1, 1024))
    fr = open(filename)
    for i in range(32):
        lineStr = fr.readline()
        for j in range(32):
            returnVect[0, 32 * i + j] = int(lineStr[j])
    fr.close()
    return returnVect


def handwritingData(dataPath):
    hwLabels = []
    FileList = sorted(listdir(dataPath))  # sorted so both sides see the same order
    m = len(FileList)
    Mat = np.zeros((m, 1024))
    for i in range(m):
        fileNameStr = FileList[i]
        fileStr = fileNameStr.split('.')[0]
        classNumStr = int(fileStr.split('_')[0])
        hwLabels.append(classNumStr)
        Mat[i, :] = img2vector(dataPath + '/%s' % fileNameStr)
    return Mat, hwLabels


# --- the document's network ---
def Sigmoid(x, diff=False):
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    def dsigmoid(x):
        f = sigmoid(x)
        return f * (1 - f)

    if diff == True:
        return dsigmoid(x)
    return sigmoid(x)


def SquareErrorSum(y_hat, y, diff=False):
    if diff == True:
        return y_hat - y
    return (np.square(y_hat - y) * 0.5).sum()


class Net():
    def __init__(self):
        self.X = np.random.randn(1024, 1)
        self.W1 = np.random.randn(16, 1024)
        self.b1 = np.random.randn(16, 1)
        self.W2 = np.random.randn(16, 16)
        self.b2 = np.random.randn(16, 1)
        self.W3 = np.random.randn(10, 16)
        self.b3 = np.random.randn(10, 1)
        self.alpha = 0.01
        self.losslist = []

    def forward(self, X, y, activate):
        self.X = X
        self.z1 = np.dot(self.W1, self.X) + self.b1
        self.a1 = activate(self.z1)
        self.z2 = np.dot(self.W2, self.a1) + self.b2
        self.a2 = activate(self.z2)
        self.z3 = np.dot(self.W3, self.a2) + self.b3
        self.y_hat = activate(self.z3)
        Loss = SquareErrorSum(self.y_hat, y)
        return Loss, self.y_hat

    def backward(self, y, activate):
        self.delta3 = activate(self.z3, True) * SquareErrorSum(self.y_hat, y, True)
        self.delta2 = activate(self.z2, True) * (np.dot(self.W3.T, self.delta3))
        self.delta1 = activate(self.z1, True) * (np.dot(self.W2.T, self.delta2))
        dW3 = np.dot(self.delta3, self.a2.T)
        dW2 = np.dot(self.delta2, self.a1.T)
        dW1 = np.dot(self.delta1, self.X.T)
        d3 = self.delta3
        d2 = self.delta2
        d1 = self.delta1
        self.W3 -= self.alpha * dW3
        self.W2 -= self.alpha * dW2
        self.W1 -= self.alpha * dW1
        self.b3 -= self.alpha * d3
        self.b2 -= self.alpha * d2
        self.b1 -= self.alpha * d1

    def setLearnrate(self, l):
        self.alpha = l

    def train(self, trainMat, trainLabels, Epoch=5, bitch=None):
        timings = []
        accs = []
        for epoch in range(Epoch):
            t0 = time.perf_counter()  # added: time each epoch (wall and CPU time)
            c0 = time.process_time()
            acc = 0.0
            acc_cnt = 0
            label = np.zeros((10, 1))
            for i in range(len(trainMat)):
                X = trainMat[i, :].reshape((1024, 1))
                labelidx = trainLabels[i]
                label[labelidx][0] = 1.0
                Loss, y_hat = self.forward(X, label, Sigmoid)
                self.backward(label, Sigmoid)
                label[labelidx][0] = 0.0
                acc_cnt += int(trainLabels[i] == np.argmax(y_hat))
            acc = acc_cnt / len(trainMat)
            self.losslist.append(Loss)
            timings.append((time.perf_counter() - t0, time.process_time() - c0))
            accs.append(acc)
            print("epoch:%d,loss:%02f,accrucy : %02f" % (epoch, Loss, acc), file=sys.stderr)
        return timings, accs


def main():
    zip_path = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    np.random.seed(seed)
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(zip_path) as z:
            z.extractall(tmp)
        trainMat, trainLabels = handwritingData(os.path.join(tmp, 'trainingDigits'))
    net = Net()
    timings, accs = net.train(trainMat, trainLabels, Epoch=epochs)
    print(json.dumps({'epochSeconds': [w for w, _ in timings], 'epochCpuSeconds': [c for _, c in timings], 'accuracy': accs, 'loss': [float(l) for l in net.losslist],
                      'samples': len(trainMat), 'numpy': np.__version__}))


if __name__ == '__main__':
    main()
