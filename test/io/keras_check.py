"""Real Keras (3.x, with TensorFlow) against digitlab's .h5 files; run by test/io/keras-real.test.ts.

  keras_check.py load FILE.h5 X.npy PRED.npy   -> keras.models.load_model, predict, save; prints JSON facts
  keras_check.py save mlp|cnn FILE.h5 X.npy PRED.npy  -> a Keras model saved as .h5, and its predictions
"""
import json, os, sys
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
import numpy as np
import keras
from keras import layers

mode = sys.argv[1]
if mode == 'load':
    path, xfile, out = sys.argv[2:5]
    m = keras.models.load_model(path)
    np.save(out, m.predict(np.load(xfile), verbose=0))
    print(json.dumps({
        'keras': keras.__version__,
        'layers': [l.__class__.__name__ for l in m.layers],
        'optimizer': m.optimizer.__class__.__name__ if m.optimizer else None,
        'learning_rate': float(m.optimizer.learning_rate) if m.optimizer else None,
    }))
elif mode == 'save':
    kind, path, xfile, out = sys.argv[2:6]
    keras.utils.set_random_seed(1)
    if kind == 'mlp':
        m = keras.Sequential([keras.Input((784,)), layers.Dense(64, activation='relu'), layers.Dense(10, activation='softmax')])
        m.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
    else:
        m = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 5, padding='same', activation='relu'), layers.MaxPooling2D(2),
                              layers.Conv2D(16, 5, padding='same', activation='relu'), layers.MaxPooling2D(2), layers.Flatten(),
                              layers.Dense(32, activation='relu'), layers.Dropout(0.5), layers.Dense(10, activation='softmax')])
        m.compile(optimizer=keras.optimizers.Adam(1e-4), loss='categorical_crossentropy', metrics=['accuracy'])
    m.save(path)
    np.save(out, m.predict(np.load(xfile), verbose=0))
    print(json.dumps({'keras': keras.__version__}))
else:
    sys.exit(f'unknown mode {mode}')
